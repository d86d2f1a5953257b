output "primary_destination" {
  # "sip.example.com:5061;transport=tls"
  value = provider::exotel::destination_uri("sip.example.com", 5061, "tls")
}

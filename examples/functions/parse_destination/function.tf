output "parsed" {
  # { host = "198.51.100.20", port = 5060, transport = "tcp" }
  value = provider::exotel::parse_destination("sip:198.51.100.20:5060;transport=tcp")
}

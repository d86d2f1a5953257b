output "caller_id" {
  # "+919876543210"
  value = provider::exotel::normalize_e164("+91 (98765) 43-210")
}

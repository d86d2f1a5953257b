# terraform query -generate-config-out=generated.tf
list "exotel_trunk_destinations" "one_trunk" {
  provider = exotel
  config {
    trunk_sid = "<trunk_sid>"
  }
  include_resource = true
}

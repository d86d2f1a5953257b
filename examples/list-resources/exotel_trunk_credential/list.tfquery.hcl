# terraform query -generate-config-out=generated.tf
# Finds every credential on a trunk, including ones Terraform does not manage.
list "exotel_trunk_credential" "all" {
  provider = exotel
  config {
    trunk_sid = "<trunk_sid>"
  }
  include_resource = true
}

# terraform query -generate-config-out=generated.tf
# (needs an Exotel API that can list trunks)
list "exotel_trunk" "all" {
  provider = exotel
}

resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

# Read at apply time, never stored in plan or state. Hand the password to a
# write-only attribute of your secrets manager, e.g.
#   secret_string_wo = ephemeral.exotel_trunk_credentials.sip.password
ephemeral "exotel_trunk_credentials" "sip" {
  trunk_sid = exotel_trunk.main.trunk_sid
}

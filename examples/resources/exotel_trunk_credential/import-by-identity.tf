# The resource identity: the trunk SID and the credential's id.
import {
  to = exotel_trunk_credential.bot
  identity = {
    trunk_sid = "trmum1a2b3c4d5e6f"
    id        = "1234"
  }
}

# The resource identity: the trunk SID.
import {
  to = exotel_trunk_alias.caller_id
  identity = {
    trunk_sid = "trmum1a2b3c4d5e6f"
  }
}

# The resource identity: the trunk SID.
import {
  to = exotel_trunk_phone_numbers.dids
  identity = {
    trunk_sid = "trmum1a2b3c4d5e6f"
  }
}

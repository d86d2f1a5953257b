# The resource identity: the trunk SID and the item's id (the id Exotel gave it; not the number or address).
import {
  to = exotel_trunk_phone_number.caller_id
  identity = {
    trunk_sid = "trmum1a2b3c4d5e6f"
    id        = "41512"
  }
}

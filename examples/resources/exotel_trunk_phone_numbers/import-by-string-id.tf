# The trunk SID: state then holds every number mapped to the trunk.
import {
  to = exotel_trunk_phone_numbers.dids
  id = "trmum1a2b3c4d5e6f"
}

# The trunk SID: state then holds every destination of the trunk.
import {
  to = exotel_trunk_destinations.sbc
  id = "trmum1a2b3c4d5e6f"
}

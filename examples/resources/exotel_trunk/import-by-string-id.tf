# The trunk SID.
import {
  to = exotel_trunk.main
  id = "trmum1a2b3c4d5e6f"
}

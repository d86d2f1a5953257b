# The trunk SID (one alias per trunk).
import {
  to = exotel_trunk_alias.caller_id
  id = "trmum1a2b3c4d5e6f"
}

# "<trunk_sid>/<credential_id>" or "<trunk_sid>/username:<username>".
import {
  to = exotel_trunk_credential.bot
  id = "trmum1a2b3c4d5e6f/username:voicebot"
}

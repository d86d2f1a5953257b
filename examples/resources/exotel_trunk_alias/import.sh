# One alias per trunk: import by the trunk SID.
terraform import exotel_trunk_alias.caller_id <trunk_sid>

# By trunk SID: state holds every whitelisted IP of the trunk.
terraform import exotel_trunk_whitelisted_ips.acl <trunk_sid>

# By entry id, or by the IP address (the mask is read from Exotel).
terraform import exotel_trunk_whitelisted_ip.pbx <trunk_sid>/<id>
terraform import exotel_trunk_whitelisted_ip.pbx <trunk_sid>/203.0.113.10

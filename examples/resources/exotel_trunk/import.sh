# A trunk is imported by its trunk SID.
terraform import exotel_trunk.main <trunk_sid>

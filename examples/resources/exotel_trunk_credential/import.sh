# By id, or by username (the prefix keeps a numeric username apart from an id).
terraform import exotel_trunk_credential.bot <trunk_sid>/<credential_id>
terraform import exotel_trunk_credential.bot <trunk_sid>/username:<username>

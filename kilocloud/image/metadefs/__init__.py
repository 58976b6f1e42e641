"""Glance's metadata definitions catalog: namespaces of properties, objects, tags and the
resource types they apply to."""

"""Built-in skills, registered under the ``roboverify.skills`` entry-point group."""

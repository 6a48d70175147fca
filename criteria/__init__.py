"""Built-in criteria, registered under the ``roboverify.criteria`` entry-point group."""

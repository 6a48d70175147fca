"""Built-in scenario families, registered under the ``roboverify.scenarios`` entry-point group."""

"""The documents: the render context, the template environment, template checks and Markdown."""

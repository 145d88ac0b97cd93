"""Waishi (智慧外事): the Django project — settings, URLs and WSGI entry point."""

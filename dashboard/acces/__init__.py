"""Access control: accounts and roles, sign-in, signed sessions and briefing links, the checks every
request goes through (pages, callbacks, uploads, exports), security headers and error pages."""

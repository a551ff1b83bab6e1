"""The legal pages (imprint, privacy notice, accessibility statement) and re-consent to the privacy notice."""

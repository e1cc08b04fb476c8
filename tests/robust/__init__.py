"""Bad input, hostile manuscripts and faults (issue 15)."""

"""Problem-solving (SARA) on places and areas."""

"""The image service layer: rules, policy checks and notifications; it knows no HTTP."""

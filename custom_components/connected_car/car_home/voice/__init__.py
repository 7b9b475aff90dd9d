"""Voice: sentences, spoken answers and the intents behind both."""

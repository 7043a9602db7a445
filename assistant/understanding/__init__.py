"""Understanding a message: what the user wants (intents learned from examples) and what they named."""

from assistant.understanding.intents import ExampleBank, ExampleBankError, IntentClassifier, IntentScore
from assistant.understanding.understander import Intents, Understander

__all__ = ["ExampleBank", "ExampleBankError", "IntentClassifier", "IntentScore", "Intents", "Understander"]

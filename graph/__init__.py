"""LangGraph layer: state, context, prompts, nodes and the two graph builders.

Exports builders and plain compiled graphs with no checkpointer attached; the server and tests
attach persistence (``builder.compile(checkpointer=...)``), ``langgraph.json`` uses the bare graphs.
"""

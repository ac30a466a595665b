print("flush-bench: not yet built")

print("lambda-sim: not yet built")

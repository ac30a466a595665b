print("example-entity-api: not yet built")

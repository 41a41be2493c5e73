print("citytopics: not implemented yet")

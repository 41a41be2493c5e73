// The module's sources are the other files of this folder.

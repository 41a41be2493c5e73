// The tests of this target are the other files of this folder.

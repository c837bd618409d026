#!/usr/bin/env python
from dangvu.cli import main

if __name__ == "__main__":
    main()

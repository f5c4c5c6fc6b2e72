from gridctl.cli import main

main()

from kilocloud.cli.main import main

main()

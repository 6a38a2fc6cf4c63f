// Every command module registers itself on import.
import './platform-commands.ts'
import './backup-commands.ts'
import './worker-command.ts'
import './create-admin.ts'
import '../features/imports/cli.ts'
import '../features/photos/import-cli.ts'
import '../features/bus/import-cli.ts'

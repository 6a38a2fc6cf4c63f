// Every command module registers itself on import.
import './platform-commands.ts'

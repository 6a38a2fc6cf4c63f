import type { SeedStep } from '../platform/registry.ts'
import { platformSeed } from './platform/seed.ts'
import { demoAccountsSeed } from './users/demo-seed.ts'
import { eighthDemoSeed } from './eighth/seed.ts'

/** `ion seed --demo` runs each feature's step in order; each is idempotent. */
export const SEED_STEPS: SeedStep[] = [platformSeed, demoAccountsSeed, eighthDemoSeed]

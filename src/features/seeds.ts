import { byOrder, type SeedCtx, type SeedStep } from '../platform/registry.ts'
import { analyzeSeed, platformSeed } from './platform/seed.ts'
import { demoAccountsSeed } from './users/demo-seed.ts'
import { demoPhotosSeed } from './photos/demo-seed.ts'
import { demoGroupsSeed } from './groups/demo-seed.ts'
import { eighthDemoSeed } from './eighth/seed.ts'
import { scheduleDemoSeed } from './schedule/seed.ts'
import { busDemoSeed } from './bus/seed.ts'
import { pollsDemoSeed } from './polls/seed.ts'
import { announcementsDemoSeed } from './announcements/seed.ts'
import { eventsDemoSeed } from './events/seed.ts'

/** `ion seed --demo` runs each feature's step in order; each is idempotent. */
export const SEED_STEPS: SeedStep[] = [platformSeed, demoAccountsSeed, demoPhotosSeed, demoGroupsSeed, eighthDemoSeed, scheduleDemoSeed, busDemoSeed, pollsDemoSeed, eventsDemoSeed, announcementsDemoSeed, analyzeSeed]

/** Every step in order (the CLI, the benchmarks and tests all seed this way); `onStep` hears each one's answer. */
export async function runSeeds(ctx: SeedCtx, onStep?: (name: string, message: string, ms: number) => void): Promise<void> {
  for (const step of byOrder(SEED_STEPS)) {
    const t = performance.now()
    const msg = await step.run(ctx)
    onStep?.(step.name, msg ?? 'ok', Math.round(performance.now() - t))
  }
}

import type { SeedStep } from '../../platform/registry.ts'
import { gradeNumber } from '../users/grade.ts'
import { avatarSvg, sha256Hex } from './image.ts'
import { demoPhotoStudents, insertMissingPhotos, type NewPhoto } from './photos.sql.ts'

// `seed --demo`: generated SVG portraits (initials on a colour) for the first 80 students of
// each class, and last year's photo too for every third of them, so the preferred-picture
// choice and the "most recent grade" fallback have something to show. A second run adds nothing.

export const DEMO_PHOTOS_PER_CLASS = 80

export const demoPhotosSeed: SeedStep = {
  name: 'demo photos',
  order: 12,
  run: async ({ sql, config, clock }) => {
    const now = clock.now()
    const students = await demoPhotoStudents(sql, DEMO_PHOTOS_PER_CLASS)
    const rows: NewPhoto[] = []
    const seen = new Map<number, number>()
    for (const s of students) {
      const grade = gradeNumber(s.graduationYear, clock.today(), config.yearTurnoverMonth)
      if (grade < 9 || grade > 12) continue
      const n = seen.get(s.graduationYear) ?? 0
      seen.set(s.graduationYear, n + 1)
      const hue = (s.id * 137) % 360
      const add = (g: number, shade: number) => {
        const bytes = avatarSvg(s.firstName, s.lastName, hue, shade)
        rows.push({ userId: s.id, gradeNumber: g, bytes, contentType: 'image/svg+xml', etag: sha256Hex(bytes), createdAt: now })
      }
      add(grade, 42)
      if (grade > 9 && n % 3 === 0) add(grade - 1, 30)
    }
    const added = await sql.begin((tx) => insertMissingPhotos(tx, rows))
    return `${added} new`
  },
}

import type { Flash } from '../../../flash.ts'
import { blockText } from '../../../format.ts'
import { personName } from '../common.ts'
import type { BlockOption } from '../moves.sql.ts'
import { GRADES, type UnsignedModel } from '../unsigned.ts'
import { BlockSelect, FlashNote } from './common.tsx'

// /eighth/admin/unsigned/<bid>: counts by grade, the list, the CSV and the default placement.

export function UnsignedPage({ m, blocks, flash }: { m: UnsignedModel; blocks: BlockOption[]; flash?: Flash | null }) {
  const total = m.rows.length
  return (
    <section id="moves-tool" class="moves" aria-labelledby="unsigned-title">
      <p class="muted"><a href="/eighth/admin/moves">Moving students</a></p>
      <h1 id="unsigned-title" safe>{`Unsigned students: ${blockText(m.block)}`}</h1>
      <FlashNote flash={flash} />
      <form class="stack" method="get" action="/eighth/admin/unsigned">
        <BlockSelect name="block" label="Block" blocks={blocks} selected={m.block.id} id="f-unsigned-block" />
        <div class="actions"><button type="submit" class="secondary">Show</button></div>
      </form>
      <p safe>{`${total} of ${m.current} current students have no signup (${m.signed} signed up).`}</p>
      <div class="table-wrap">
        <table>
          <caption>Unsigned students by grade</caption>
          <thead><tr>{GRADES.map((g) => <th scope="col" safe>{`Grade ${g}`}</th>)}<th scope="col">Total</th></tr></thead>
          <tbody><tr>{GRADES.map((g) => <td safe>{String(m.byGrade[g] ?? 0)}</td>)}<td safe>{String(total)}</td></tr></tbody>
        </table>
      </div>
      <p class="actions">
        <a class="button secondary" href={`/eighth/admin/unsigned/${m.block.id}/csv`}>Download CSV</a>
        <a class="button secondary" href={`/eighth/admin/moves/distribute?source=unsigned&block=${m.block.id}`}>Distribute them</a>
      </p>
      {m.defaultActivity && total ? (
        <form class="stack card" method="post" action={`/eighth/admin/unsigned/${m.block.id}/place-default`}
          hx-post={`/eighth/admin/unsigned/${m.block.id}/place-default`} hx-target="#moves-tool" hx-swap="outerHTML">
          <p safe>{`Place all ${total} in ${m.defaultActivity.name} (forced, no pass). Usually done when the block is locked.`}</p>
          <div class="actions"><button type="submit">Place unsigned students</button></div>
        </form>
      ) : ''}
      {total ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Students with no signup in this block</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Student ID</th><th scope="col">Grade</th></tr></thead>
            <tbody>
              {m.rows.map((r) => (
                <tr>
                  <td><a href={`/eighth/profile/${r.id}`} safe>{personName(r)}</a></td>
                  <td safe>{r.studentId ?? ''}</td>
                  <td safe>{String(r.grade)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="alert ok">Every current student has a signup in this block.</p>}
    </section>
  )
}

export function NoBlocks() {
  return (
    <section id="moves-tool" class="moves" aria-labelledby="unsigned-title">
      <h1 id="unsigned-title">Unsigned students</h1>
      <p>There are no blocks yet.</p>
    </section>
  )
}

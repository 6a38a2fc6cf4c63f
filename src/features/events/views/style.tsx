import { assetUrl } from '../../../platform/html/assets.ts'

/** The events pages' own stylesheet (public/events.css), linked from each page's body. */
export const EventsCss = () => <link rel="stylesheet" href={assetUrl('events.css')} />

/** A sample's image as served to the dashboard. */
export interface Thumbnail {
  body: Uint8Array;
  contentType: 'image/webp' | 'image/jpeg' | 'image/png';
}

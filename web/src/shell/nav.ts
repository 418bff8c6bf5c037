/** The top navigation. `match`: path prefixes that mark the item as the current page. */
export const NAV: { href: string; label: string; group?: string; match: string[] }[] = [
  { href: '/integrations', group: 'Channels', label: 'Custom Integration', match: ['/integrations'] },
  { href: '/inventory', label: 'Inventory', match: ['/inventory'] },
  { href: '/orders', label: 'Orders', match: ['/orders'] },
  { href: '/events', label: 'Events', match: ['/events'] },
  { href: '/reference', label: 'API reference', match: ['/reference'] },
];

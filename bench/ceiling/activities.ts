export const ceilingActivities = {
  async noop(): Promise<void> {
    // deliberately empty
  },
};

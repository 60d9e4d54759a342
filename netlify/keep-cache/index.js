// Keeps Protokollarkiv's build cache (.cache/) and the last published site (site/) between Netlify
// deploys, so the build after a commit parses, renders and indexes only what the commit changed
// (README, "Deploying on Netlify"). Netlify's own cache utilities; nothing to install.
// A missing or lost cache only makes a build slower: the output is the same (tests/test_warm.py).

module.exports = {
  // Before `python build.py`: bring back what the last successful deploy left.
  async onPreBuild({ utils }) {
    const restored = await utils.cache.restore([".cache", "site"]);
    console.log(restored ? "Restored .cache/ and site/ from the last deploy" : "No build cache yet");
  },
  // The build cache once the build has succeeded (it is not part of the published site).
  async onPostBuild({ utils }) {
    await utils.cache.save(".cache");
  },
  // The published site only after the deploy, which reads it from site/.
  async onSuccess({ utils }) {
    await utils.cache.save("site");
  },
};

# chot: one image for both halves. `npm run web` serves HTTP (chat webhooks, web chat, admin panel);
# `npm run worker` runs the schedules. Both need MONGODB_URI.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    ADMIN_JS_TMP_DIR=/app/adminjs-tmp \
    PORT=3000

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY package.json package-lock.json ./
COPY vendor ./vendor
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /app/adminjs-tmp /app/data && chown -R node:node /app/adminjs-tmp /app/data

USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["npm", "run", "web"]

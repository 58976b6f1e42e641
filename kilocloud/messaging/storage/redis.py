class RedisStore:
    pass
